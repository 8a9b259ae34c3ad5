import { App, Button, Drawer, Dropdown, Form, Input, Layout, Menu, Modal, Space, Typography } from 'antd';
import { BankOutlined, CalendarOutlined, ContactsOutlined, FundProjectionScreenOutlined } from '@ant-design/icons';
import { AlertOutlined, DashboardOutlined, FileTextOutlined, GiftOutlined, ApartmentOutlined, BranchesOutlined, CloudUploadOutlined, InboxOutlined, EnvironmentOutlined, HomeOutlined, AppstoreOutlined, AuditOutlined, FolderOpenOutlined, OrderedListOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, SafetyCertificateOutlined, SafetyOutlined, ShopOutlined, SolutionOutlined, TeamOutlined, UploadOutlined, UserAddOutlined, UserOutlined } from '@ant-design/icons';
import { Suspense, useState } from 'react';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { useMutation } from '@tanstack/react-query';
import { api } from '../api';
import { useAuth, useMe, type Me } from '../auth';
import { useI18n } from '../i18n';
import { canSeeCraftVillages, canSeePlans } from '../permissions';
import { canImport, canImportEpcis, canManageUsers, canSeeScans, canSeeTrace, canReadProducersList, canReviewRegistrations, canSeeCertificates, canSeeDossiers, canSeeRounds } from '../permissions';
import { NotificationBell } from './NotificationBell';
import { useShowError } from './errors';
import { useIsPhone } from './hooks';
import { PageSpinner } from './PageSpinner';
import { LanguageSwitch } from './LanguageSwitch';

export function AppLayout() {
  const me = useMe();
  const { logout } = useAuth();
  const { t, label } = useI18n();
  const phone = useIsPhone();
  const [drawer, setDrawer] = useState(false);
  const [pwOpen, setPwOpen] = useState(false);
  const loc = useLocation();
  const nav = useNavigate();

  const items = [
    { key: '/home', icon: <DashboardOutlined />, label: <Link to="/home" data-testid="nav-home">{t('nav.home')}</Link> },
    { key: '/products', icon: <AppstoreOutlined />, label: <Link to="/products" data-testid="nav-products">{t('nav.products')}</Link> },
    canReadProducersList(me)
      ? { key: '/producers', icon: <ShopOutlined />, label: <Link to="/producers" data-testid="nav-producers">{t('nav.producers')}</Link> }
      : me.producerId
        ? { key: '/producers', icon: <ShopOutlined />, label: <Link to={`/producers/${me.producerId}`} data-testid="nav-producers">{t('nav.myProducer')}</Link> }
        : null,
    me.role === 'producer' && me.producerId
      ? { key: `/producers/${me.producerId}/evidence`, icon: <FolderOpenOutlined />, label: <Link to={`/producers/${me.producerId}/evidence`} data-testid="nav-evidence">{t('nav.evidence')}</Link> }
      : null,
    canSeeDossiers(me) ? { key: '/dossiers', icon: <SolutionOutlined />, label: <Link to="/dossiers" data-testid="nav-dossiers">{t('nav.dossiers')}</Link> } : null,
    me.role !== 'central_officer' ? { key: '/support', icon: <GiftOutlined />, label: <Link to="/support" data-testid="nav-support">{t('nav.support')}</Link> } : null,
    canSeePlans(me) ? { key: '/plans', icon: <FundProjectionScreenOutlined />, label: <Link to="/plans" data-testid="nav-plans">{t('nav.plans')}</Link> } : null,
    { key: '/events', icon: <CalendarOutlined />, label: <Link to="/events" data-testid="nav-events">{t('nav.events')}</Link> },
    canSeeCraftVillages(me) ? { key: '/craft-villages', icon: <BankOutlined />, label: <Link to="/craft-villages" data-testid="nav-craft-villages">{t('nav.craftVillages')}</Link> } : null,
    // The annual report: whoever reads the programme (canReadProgramme on the server: everyone but producers).
    me.role !== 'producer' ? { key: '/reports', icon: <FileTextOutlined />, label: <Link to="/reports" data-testid="nav-reports">{t('nav.reports')}</Link> } : null,
    canSeeCertificates(me) ? { key: '/certificates', icon: <SafetyCertificateOutlined />, label: <Link to="/certificates" data-testid="nav-certificates">{t('nav.certificates')}</Link> } : null,
    canReviewRegistrations(me) ? { key: '/registrations', icon: <UserAddOutlined />, label: <Link to="/registrations" data-testid="nav-registrations">{t('nav.registrations')}</Link> } : null,
    canSeeRounds(me) ? { key: '/rounds', icon: <AuditOutlined />, label: <Link to="/rounds" data-testid="nav-rounds">{t('nav.rounds')}</Link> } : null,
    canSeeTrace(me)
      ? {
          key: 'trace',
          icon: <BranchesOutlined />,
          label: <span data-testid="nav-trace">{t('nav.trace')}</span>,
          children: [
            { key: '/lots', icon: <InboxOutlined />, label: <Link to="/lots" data-testid="nav-lots">{t('nav.lots')}</Link> },
            { key: '/trace/growing-areas', icon: <EnvironmentOutlined />, label: <Link to="/trace/growing-areas" data-testid="nav-growing-areas">{t('nav.growingAreas')}</Link> },
            { key: '/trace/packing-houses', icon: <HomeOutlined />, label: <Link to="/trace/packing-houses" data-testid="nav-packing-houses">{t('nav.packingHouses')}</Link> },
            { key: '/trace/parties', icon: <ContactsOutlined />, label: <Link to="/trace/parties" data-testid="nav-parties">{t('nav.parties')}</Link> },
            ...(canSeeScans(me) ? [{ key: '/trace/scans', icon: <AlertOutlined />, label: <Link to="/trace/scans" data-testid="nav-scans">{t('nav.scans')}</Link> }] : []),
            ...(canImportEpcis(me) ? [{ key: '/trace/epcis-import', icon: <CloudUploadOutlined />, label: <Link to="/trace/epcis-import" data-testid="nav-epcis-import">{t('nav.epcisImport')}</Link> }] : []),
          ],
        }
      : null,
    { key: '/criteria', icon: <OrderedListOutlined />, label: <Link to="/criteria" data-testid="nav-criteria">{t('nav.criteria')}</Link> },
    { key: '/units', icon: <ApartmentOutlined />, label: <Link to="/units" data-testid="nav-units">{t('nav.units')}</Link> },
    canImport(me) ? { key: '/import', icon: <UploadOutlined />, label: <Link to="/import" data-testid="nav-import">{t('nav.import')}</Link> } : null,
    canManageUsers(me) ? { key: '/users', icon: <TeamOutlined />, label: <Link to="/users" data-testid="nav-users">{t('nav.users')}</Link> } : null,
  ].filter((x) => x !== null);
  // The longest matching key only ("/producers/…/evidence" is not also "/producers"); groups' entries count too.
  const leaves = items.flatMap((i) => ('children' in i && i.children ? i.children : [i]));
  const selected = leaves
    .map((i) => i.key)
    .filter((k) => loc.pathname === k || loc.pathname.startsWith(`${k}/`))
    .sort((a, b) => b.length - a.length)
    .slice(0, 1);

  const openGroup = items.find((i) => 'children' in i && i.children?.some((c) => selected.includes(c.key)))?.key;
  const menu = (
    <Menu mode="inline" selectedKeys={selected} defaultOpenKeys={openGroup ? [openGroup] : []} items={items} onClick={() => setDrawer(false)} style={{ borderInlineEnd: 0 }} />
  );
  const brand = (
    <Link to="/home" style={{ display: 'flex', alignItems: 'center', gap: 8, padding: '14px 20px', color: '#1f6f43', fontWeight: 700, fontSize: 18 }}>
      <span style={{ background: '#1f6f43', color: '#fff', borderRadius: 6, padding: '0 6px' }}>OCOP</span> Hub
    </Link>
  );

  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={240} breakpoint="lg" collapsedWidth={64} style={{ borderRight: '1px solid #eee' }}>
          {brand}
          {menu}
        </Layout.Sider>
      )}
      {phone && (
        <Drawer open={drawer} onClose={() => setDrawer(false)} placement="left" size={260} styles={{ body: { padding: 0 } }} title={brand}>
          {menu}
        </Drawer>
      )}
      <Layout>
        <Layout.Header style={{ background: '#fff', padding: '0 16px', display: 'flex', alignItems: 'center', gap: 12, borderBottom: '1px solid #eee', position: 'sticky', top: 0, zIndex: 10 }}>
          {phone && <Button data-testid="menu-toggle" type="text" icon={<MenuOutlined />} onClick={() => setDrawer(true)} aria-label={t('nav.menu')} />}
          {phone && <Typography.Text strong>OCOP Hub</Typography.Text>}
          <div style={{ flex: 1 }} />
          <NotificationBell />
          <LanguageSwitch />
          <Dropdown
            trigger={['click']}
            menu={{
              items: [
                { key: 'role', label: <Typography.Text type="secondary">{label('role', me.role)}</Typography.Text>, disabled: true },
                { type: 'divider' },
                { key: 'password', icon: <KeyOutlined />, label: <span data-testid="menu-change-password">{t('auth.changePassword')}</span>, onClick: () => setPwOpen(true) },
                { key: 'account', icon: <SafetyOutlined />, label: <span data-testid="menu-account">{t('account.title')}</span>, onClick: () => nav('/tai-khoan') },
                {
                  key: 'logout',
                  icon: <LogoutOutlined />,
                  label: <span data-testid="menu-logout">{t('auth.logout')}</span>,
                  onClick: async () => {
                    await logout();
                    nav('/login');
                  },
                },
              ],
            }}
          >
            <Button data-testid="user-menu" type="text" icon={<UserOutlined />}>
              {!phone && me.fullName}
            </Button>
          </Dropdown>
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24, maxWidth: 1400, width: '100%', margin: '0 auto' }}>
          <Suspense fallback={<PageSpinner />}>
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
      <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
    </Layout>
  );
}

function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useI18n();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const { message } = App.useApp();
  const showError = useShowError();
  const { setMe } = useAuth();
  const m = useMutation({
    mutationFn: (v: { currentPassword: string; newPassword: string }) => api<Me>('/api/auth/password', { body: v }),
    onSuccess: (me) => {
      // The server starts a new session on a password change: its cookie came with the answer, its CSRF token is here.
      setMe(me);
      message.success(t('auth.passwordChanged'));
      form.resetFields();
      onClose();
    },
    onError: (e) => showError(e, form),
  });
  return (
    <Modal open={open} title={t('auth.changePassword')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={m.isPending} okText={t('common.save')} cancelText={t('common.cancel')} destroyOnHidden>
      <Form form={form} layout="vertical" onFinish={(v) => m.mutate({ currentPassword: v.currentPassword, newPassword: v.newPassword })}>
        <Form.Item name="currentPassword" label={t('auth.currentPassword')} rules={[{ required: true, message: t('form.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('auth.newPassword')} rules={[{ required: true, message: t('form.required') }, { min: 10, message: t('auth.passwordMin') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('auth.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('form.required') },
            ({ getFieldValue }) => ({ validator: (_, v) => (v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('auth.passwordMismatch')))) }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function PageHeader({ title, extra, back }: { title: React.ReactNode; extra?: React.ReactNode; back?: string }) {
  const nav = useNavigate();
  const { t } = useI18n();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 12, marginBottom: 16 }}>
      {back && (
        <Button type="link" style={{ padding: 0 }} onClick={() => nav(back)}>
          ← {t('common.back')}
        </Button>
      )}
      <Typography.Title level={3} style={{ margin: 0, flex: '1 1 auto' }}>
        {title}
      </Typography.Title>
      {extra && <Space wrap>{extra}</Space>}
    </div>
  );
}
