import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider, Empty } from 'antd';
import viVN from 'antd/locale/vi_VN';
import enUS from 'antd/locale/en_US';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
import { ApiError } from './api';
import { AuthProvider } from './auth';
import { I18nProvider, useI18n } from './i18n';
import { AppRoutes } from './routes';

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // Problems the user must act on (401/403/404/422) do not get better by asking again.
      retry: (n, e) => !(e instanceof ApiError && e.status >= 400 && e.status < 500) && n < 2,
    },
  },
});

/** antd's Vietnamese with the officials' words: a date field asks "Chọn ngày" (not "Chọn thời điểm"). */
const vi: typeof viVN = {
  ...viVN,
  DatePicker: viVN.DatePicker && { ...viVN.DatePicker, lang: { ...viVN.DatePicker.lang, placeholder: 'Chọn ngày' } },
};

function Themed() {
  const { lang, t } = useI18n();
  return (
    <ConfigProvider
      locale={lang === 'vi' ? vi : enUS}
      // Lists that come back empty say so in words (antd's default is a bare "Trống").
      renderEmpty={() => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('table.noRows')} />}
      theme={{
        token: { colorPrimary: '#1f6f43', colorLink: '#1a6fb0', borderRadius: 6, fontFamily: "'Noto Sans', -apple-system, 'Segoe UI', Roboto, Arial, sans-serif" },
        components: { Menu: { itemSelectedBg: '#e3f1e8', itemSelectedColor: '#1f6f43', itemHoverBg: '#f0f7f2' } },
      }}
    >
      <AntApp>
        <AuthProvider>
          <AppRoutes />
        </AuthProvider>
      </AntApp>
    </ConfigProvider>
  );
}

// A data router (one catch-all route; the app's own <Routes> below it) so screens can block navigation with unsaved work.
const router = createBrowserRouter([{ path: '*', element: <Themed /> }]);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <RouterProvider router={router} />
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);
