import { useEffect } from 'react';
import { matchPath, useLocation } from 'react-router-dom';
import type { MessageKey } from '../shared/i18n/vi';
import { useI18n } from './i18n';

/**
 * Each route's title (browser tab, history, bookmarks): "<page> — OCOP Hub". The most specific pattern first; a
 * route missing here is caught by the e2e sweep (a tab titled only "OCOP Hub").
 */
const ROUTE_TITLES: [string, MessageKey][] = [
  ['/login', 'page.login'],
  ['/dang-ky', 'page.register'],
  ['/home', 'nav.home'],
  ['/support', 'nav.support'],
  ['/plans/:id', 'page.plan'],
  ['/plans', 'nav.plans'],
  ['/events', 'nav.events'],
  ['/craft-villages', 'nav.craftVillages'],
  ['/reports', 'nav.reports'],
  ['/products/new', 'page.productNew'],
  ['/products/:id/edit', 'page.productEdit'],
  ['/products/:id', 'page.product'],
  ['/products', 'nav.products'],
  ['/producers/new', 'page.producerNew'],
  ['/producers/:id/edit', 'page.producerEdit'],
  ['/producers/:id/evidence', 'nav.evidence'],
  ['/producers/:id', 'page.producer'],
  ['/producers', 'nav.producers'],
  ['/registrations', 'nav.registrations'],
  ['/dossiers/:id', 'page.dossier'],
  ['/dossiers', 'nav.dossiers'],
  ['/certificates', 'nav.certificates'],
  ['/trace/growing-areas', 'nav.growingAreas'],
  ['/trace/packing-houses', 'nav.packingHouses'],
  ['/trace/parties', 'page.parties'],
  ['/trace/scans', 'nav.scans'],
  ['/trace/epcis-import', 'nav.epcisImport'],
  ['/lots/new', 'page.lotNew'],
  ['/lots/:id/edit', 'page.lotEdit'],
  ['/lots/:id', 'page.lot'],
  ['/lots', 'nav.lots'],
  ['/units', 'nav.units'],
  ['/import', 'nav.import'],
  ['/users', 'nav.users'],
  ['/tai-khoan', 'account.title'],
  ['/criteria/sheets/:id', 'page.criteriaSheet'],
  ['/criteria/:id', 'page.criteriaSet'],
  ['/criteria', 'nav.criteria'],
  ['/rounds/new', 'page.roundNew'],
  ['/rounds/:id/products/:productId/score', 'page.scoring'],
  ['/rounds/:id', 'page.round'],
  ['/rounds', 'nav.rounds'],
];

export function routeTitleKey(pathname: string): MessageKey | null {
  for (const [pattern, key] of ROUTE_TITLES) if (matchPath({ path: pattern, end: true }, pathname)) return key;
  return null;
}

/** Sets document.title from the current route (the app's name alone for an unknown route: the 404 page). */
export function useRouteTitle() {
  const { pathname } = useLocation();
  const { t } = useI18n();
  const key = routeTitleKey(pathname);
  const title = key ? `${t(key)} — OCOP Hub` : `${t('page.notFound')} — OCOP Hub`;
  useEffect(() => {
    document.title = title;
  }, [title]);
}
