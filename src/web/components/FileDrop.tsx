import { InboxOutlined } from '@ant-design/icons';
import { Upload } from 'antd';
import type { ReactNode } from 'react';

/**
 * One file dropped or picked, handed to `onFile` (never uploaded by antd itself): the Excel imports and the EPCIS
 * import share it. Shows `busyText` while the caller's upload runs.
 */
export function FileDrop(props: {
  testId: string;
  accept: string;
  busy: boolean;
  text: string;
  busyText: string;
  hint?: ReactNode;
  onFile: (file: File) => void;
}) {
  return (
    <Upload.Dragger
      data-testid={props.testId}
      accept={props.accept}
      multiple={false}
      showUploadList={false}
      disabled={props.busy}
      beforeUpload={(file) => {
        props.onFile(file);
        return false;
      }}
    >
      <p className="ant-upload-drag-icon">
        <InboxOutlined />
      </p>
      <p className="ant-upload-text">{props.busy ? props.busyText : props.text}</p>
      {props.hint && <p className="ant-upload-hint">{props.hint}</p>}
    </Upload.Dragger>
  );
}

export const XLSX_ACCEPT = '.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
