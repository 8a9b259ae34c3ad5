/** The word officials put before a unit's name ("phường Chũ", "tỉnh Bắc Ninh"), by the unit's type. One list for all. */
export const UNIT_TYPE_WORDS: Record<string, string> = {
  province: 'tỉnh', city: 'thành phố', district: 'huyện', town: 'thị xã', commune: 'xã', ward: 'phường', township: 'thị trấn', special_zone: 'đặc khu',
};

/** "phường Chũ", "thành phố Hà Nội": the unit as written in documents (UBND <this>). */
export const unitTitle = (u: { type: string; name: string }) => `${UNIT_TYPE_WORDS[u.type] ?? ''} ${u.name}`.trim();
