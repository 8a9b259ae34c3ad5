import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Result, Button } from 'antd';
import { Link } from 'react-router-dom';
import { useAuth } from './auth';
import { PageSpinner } from './components/PageSpinner';
import { useI18n } from './i18n';
import { LoginPage } from './routes/auth/LoginPage';
import { useRouteTitle } from './page-titles';

// The shell and the account pages load after sign-in: the login page stays light on a slow phone.
const AppLayout = lazy(() => import('./components/AppLayout').then((m) => ({ default: m.AppLayout })));
const AccountPage = lazy(() => import('./routes/auth/AccountPage'));
const RequiredStep = lazy(() => import('./routes/auth/AccountPage').then((m) => ({ default: m.RequiredStep })));
const HomePage = lazy(() => import('./routes/home/HomePage'));
const SupportPage = lazy(() => import('./routes/support/SupportPage'));
const PlanList = lazy(() => import('./routes/programme/PlanList'));
const PlanDetail = lazy(() => import('./routes/programme/PlanDetail'));
const EventsPage = lazy(() => import('./routes/events/EventsPage'));
const CraftVillagesPage = lazy(() => import('./routes/craft-villages/CraftVillagesPage'));
const ReportPage = lazy(() => import('./routes/reports/ReportPage'));
const ProductList = lazy(() => import('./routes/products/ProductList'));
const ProductDetail = lazy(() => import('./routes/products/ProductDetail'));
const ProductForm = lazy(() => import('./routes/products/ProductForm'));
const ProducerList = lazy(() => import('./routes/producers/ProducerList'));
const ProducerDetail = lazy(() => import('./routes/producers/ProducerDetail'));
const ProducerForm = lazy(() => import('./routes/producers/ProducerForm'));
const UnitsPage = lazy(() => import('./routes/geo/UnitsPage'));
const ImportPage = lazy(() => import('./routes/importer/ImportPage'));
const UsersPage = lazy(() => import('./routes/users/UsersPage'));
const CriteriaSetList = lazy(() => import('./routes/criteria/CriteriaSetList'));
const CriteriaSetDetail = lazy(() => import('./routes/criteria/CriteriaSetDetail'));
const CriteriaSheetView = lazy(() => import('./routes/criteria/CriteriaSheetView'));
const RoundList = lazy(() => import('./routes/rounds/RoundList'));
const RoundForm = lazy(() => import('./routes/rounds/RoundForm'));
const RoundDetail = lazy(() => import('./routes/rounds/RoundDetail'));
const ScoringPage = lazy(() => import('./routes/rounds/ScoringPage'));
const RegisterPage = lazy(() => import('./routes/registrations/RegisterPage'));
const RegistrationsPage = lazy(() => import('./routes/registrations/RegistrationsPage'));
const EvidenceLocker = lazy(() => import('./routes/evidence/EvidenceLocker'));
const DossierList = lazy(() => import('./routes/dossiers/DossierList'));
const DossierDetail = lazy(() => import('./routes/dossiers/DossierDetail'));
const CertificateList = lazy(() => import('./routes/certificates/CertificateList'));
const GrowingAreasPage = lazy(() => import('./routes/trace/PlacesPage').then((m) => ({ default: m.GrowingAreasPage })));
const LotList = lazy(() => import('./routes/trace/LotList'));
const LotForm = lazy(() => import('./routes/trace/LotForm'));
const LotDetail = lazy(() => import('./routes/trace/LotDetail'));
const ScansPage = lazy(() => import('./routes/trace/ScansPage'));
const EpcisImportPage = lazy(() => import('./routes/trace/EpcisImportPage'));
const PackingHousesPage = lazy(() => import('./routes/trace/PlacesPage').then((m) => ({ default: m.PackingHousesPage })));
const PartiesPage = lazy(() => import('./routes/trace/PartiesPage').then((m) => ({ default: m.PartiesPage })));

function RequireAuth() {
  const { me, loading } = useAuth();
  const loc = useLocation();
  if (loading) return <PageSpinner />;
  if (!me) return <Navigate to="/login" replace state={{ from: loc.pathname + loc.search }} />;
  // The server refuses everything else until the step is done; the web shows only the step.
  if (me.mustChangePassword || me.mustEnrolTotp) return <RequiredStep />;
  return <AppLayout />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <Result
      status="404"
      title="404"
      subTitle={t('error.pageNotFound')}
      extra={
        <Link to="/products">
          <Button type="primary">{t('nav.products')}</Button>
        </Link>
      }
    />
  );
}

export function AppRoutes() {
  useRouteTitle();
  return (
    <Suspense fallback={<PageSpinner />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/dang-ky" element={<RegisterPage />} />
        <Route element={<RequireAuth />}>
          <Route index element={<Navigate to="/home" replace />} />
          <Route path="home" element={<HomePage />} />
          <Route path="support" element={<SupportPage />} />
          <Route path="plans" element={<PlanList />} />
          <Route path="plans/:id" element={<PlanDetail />} />
          <Route path="events" element={<EventsPage />} />
          <Route path="craft-villages" element={<CraftVillagesPage />} />
          <Route path="reports" element={<ReportPage />} />
          <Route path="products" element={<ProductList />} />
          <Route path="products/new" element={<ProductForm />} />
          <Route path="products/:id" element={<ProductDetail />} />
          <Route path="products/:id/edit" element={<ProductForm />} />
          <Route path="producers" element={<ProducerList />} />
          <Route path="producers/new" element={<ProducerForm />} />
          <Route path="producers/:id" element={<ProducerDetail />} />
          <Route path="producers/:id/edit" element={<ProducerForm />} />
          <Route path="producers/:id/evidence" element={<EvidenceLocker />} />
          <Route path="registrations" element={<RegistrationsPage />} />
          <Route path="dossiers" element={<DossierList />} />
          <Route path="dossiers/:id" element={<DossierDetail />} />
          <Route path="certificates" element={<CertificateList />} />
          <Route path="trace/growing-areas" element={<GrowingAreasPage />} />
          <Route path="trace/packing-houses" element={<PackingHousesPage />} />
          <Route path="trace/parties" element={<PartiesPage />} />
          <Route path="lots" element={<LotList />} />
          <Route path="lots/new" element={<LotForm />} />
          <Route path="lots/:id" element={<LotDetail />} />
          <Route path="lots/:id/edit" element={<LotForm />} />
          <Route path="trace/scans" element={<ScansPage />} />
          <Route path="trace/epcis-import" element={<EpcisImportPage />} />
          <Route path="units" element={<UnitsPage />} />
          <Route path="import" element={<ImportPage />} />
          <Route path="users" element={<UsersPage />} />
          <Route path="tai-khoan" element={<AccountPage />} />
          <Route path="criteria" element={<CriteriaSetList />} />
          <Route path="criteria/sheets/:id" element={<CriteriaSheetView />} />
          <Route path="criteria/:id" element={<CriteriaSetDetail />} />
          <Route path="rounds" element={<RoundList />} />
          <Route path="rounds/new" element={<RoundForm />} />
          <Route path="rounds/:id" element={<RoundDetail />} />
          <Route path="rounds/:id/products/:productId/score" element={<ScoringPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
