import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { normalizeForSearch } from '../../../shared/text.js';
import { AppError } from '../../lib/errors.js';

/** zxcvbn score 0–4; 3 = "safely unguessable" against an online attack with throttling and offline with slow hashes. */
export const MIN_PASSWORD_SCORE = 3;
export const MIN_PASSWORD_LENGTH = 10;

// The common dictionaries carry English words, names, and the most frequent / breached passwords.
let factory: ZxcvbnFactory | undefined;
const zxcvbn = () => (factory ??= new ZxcvbnFactory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs }));

const fold = (s: string) => normalizeForSearch(s).replace(/[^a-z0-9]/g, '');

/**
 * Why a new password is refused, or null. Rules, in order: length ≥ 10; must not contain the login or a part of the
 * person's name (5 letters or more, accents ignored: shorter syllables are common words); zxcvbn score ≥ 3 with the login and name as known words.
 */
export function passwordProblem(password: string, who: { login?: string | null; fullName?: string | null }): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự`;
  const pw = fold(password);
  const login = fold(who.login ?? '');
  const nameParts = normalizeForSearch(who.fullName ?? '').split(/[^a-z0-9]+/).filter((p) => p.length >= 5);
  const fullName = fold(who.fullName ?? '');
  if ((login.length >= 3 && pw.includes(login)) || (fullName.length >= 4 && pw.includes(fullName)) || nameParts.some((p) => pw.includes(p))) {
    return 'Mật khẩu không được chứa tên đăng nhập hoặc họ tên';
  }
  const inputs = [who.login ?? '', who.fullName ?? '', ...nameParts, 'ocop', 'ocophub'].filter(Boolean);
  const { score } = zxcvbn().check(password.slice(0, 100), inputs);
  if (score < MIN_PASSWORD_SCORE) {
    return `Mật khẩu quá dễ đoán (độ mạnh ${score}/4, cần từ ${MIN_PASSWORD_SCORE}/4): tránh mật khẩu phổ biến hoặc đã bị lộ, chuỗi lặp, dãy phím liền nhau, ngày tháng; nên dùng một cụm nhiều từ`;
  }
  return null;
}

/** Throws WEAK_PASSWORD (422) naming the rule the password breaks. */
export function assertStrongPassword(password: string, who: { login?: string | null; fullName?: string | null }, path = 'password') {
  const problem = passwordProblem(password, who);
  if (problem) throw new AppError('WEAK_PASSWORD', { detail: problem, errors: [{ path, message: problem }] });
}
