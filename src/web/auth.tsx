import { createContext, useContext, useEffect, type ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { ZMe } from '../server/modules/users/schema';
import { api, ApiError, setCsrfToken, setOnUnauthenticated } from './api';

export type Me = z.infer<typeof ZMe>;

interface Auth {
  me: Me | null;
  loading: boolean;
  login: (login: string, password: string, totpCode?: string) => Promise<Me>;
  logout: () => Promise<void>;
  /** After a password change or TOTP confirmation: the server's new view of the session (and possibly a new CSRF token). */
  setMe: (me: Me) => void;
}

const Ctx = createContext<Auth | null>(null);
const ME_KEY = ['auth', 'me'] as const;

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const meQuery = useQuery({
    queryKey: ME_KEY,
    queryFn: async () => {
      try {
        const me = await api<Me>('/api/auth/me');
        setCsrfToken(me.csrfToken);
        return me;
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) {
          setCsrfToken(null);
          return null;
        }
        throw e;
      }
    },
    staleTime: 5 * 60_000,
    retry: false,
  });

  useEffect(() => {
    // Session expired mid-work: forget who we were; the router shows the login screen.
    setOnUnauthenticated(() => {
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
    });
    return () => setOnUnauthenticated(null);
  }, [qc]);

  const loginM = useMutation({
    mutationFn: (v: { login: string; password: string; totpCode?: string }) => api<Me>('/api/auth/login', { body: v }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.clear();
      qc.setQueryData(ME_KEY, me);
    },
  });

  const value: Auth = {
    me: meQuery.data ?? null,
    loading: meQuery.isPending,
    login: (login, password, totpCode) => loginM.mutateAsync({ login, password, ...(totpCode ? { totpCode } : {}) }),
    setMe: (me) => {
      setCsrfToken(me.csrfToken);
      qc.setQueryData(ME_KEY, me);
    },
    logout: async () => {
      try {
        await api('/api/auth/logout', { method: 'POST', body: {} });
      } finally {
        setCsrfToken(null);
        qc.clear();
        qc.setQueryData(ME_KEY, null);
      }
    },
  };
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

/** The signed-in user (only used under the authenticated layout). */
export function useMe(): Me {
  const { me } = useAuth();
  if (!me) throw new Error('not signed in');
  return me;
}
