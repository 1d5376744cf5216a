import { describe, expect, it } from 'vitest';
import { localized } from './index.ts';

describe('texts from the site config', () => {
  it('are shown in the page language where the config has it, else in Dutch, said to be Dutch', () => {
    const name = { nl: 'Vertrouwenspersoon', tr: 'Güven danışmanı' };
    expect(localized(name, 'tr')).toEqual({ text: 'Güven danışmanı', lang: 'tr' });
    expect(localized(name, 'pl')).toEqual({ text: 'Vertrouwenspersoon', lang: 'nl' });
    expect(localized(name, 'en')).toEqual({ text: 'Vertrouwenspersoon', lang: 'nl' });
    expect(localized(name, 'nl')).toEqual({ text: 'Vertrouwenspersoon', lang: 'nl' });
  });
});
