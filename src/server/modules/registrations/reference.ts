/** The reference number the applicant keeps (first 8 hex digits of the request id): "DK-1A2B3C4D". */
export const referenceOf = (id: string) => `DK-${id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;
