import { Segmented } from 'antd';
import { useI18n, type Lang } from '../i18n';

/** VI / EN, on every page including the login (kept apart from AppLayout so the login page does not load the shell). */
export function LanguageSwitch() {
  const { lang, setLang } = useI18n();
  return (
    <Segmented<Lang>
      data-testid="lang-switch"
      size="small"
      value={lang}
      onChange={setLang}
      options={[
        { label: 'VI', value: 'vi' },
        { label: 'EN', value: 'en' },
      ]}
    />
  );
}
