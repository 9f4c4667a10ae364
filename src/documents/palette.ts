import type { Tone } from '../domain/documents/model.ts';

/**
 * Colours of tones: `mark` for chart marks and the red header, `fill` for table-cell shading
 * (light enough for black text to stay readable when printed in grey).
 */
export const toneMark: Readonly<Record<Tone, string>> = {
  blue: '#2F6EBA',
  green: '#3A9A5B',
  yellow: '#E8B922',
  orange: '#EE7F22',
  red: '#D7261E',
  grey: '#A6A6A6',
};

export const toneFill: Readonly<Record<Tone, string>> = {
  blue: '#D6E4F5',
  green: '#D9F0DF',
  yellow: '#FFF2B3',
  orange: '#FDD9B5',
  red: '#F8C9C4',
  grey: '#EEEEEE',
};

/** 红头 red (GB/T 9704: 发文机关标志 and the separator line are red). */
export const officialRed = '#E60012';

/** Mid-strength fills for the heat grid, where black labels sit on the colour. */
export const toneSoft: Readonly<Record<Tone, string>> = {
  blue: '#9DBFE8',
  green: '#9ED3AE',
  yellow: '#F6DA72',
  orange: '#F5A86A',
  red: '#EC857E',
  grey: '#EEEEEE',
};
