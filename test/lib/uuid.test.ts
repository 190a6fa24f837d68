import { describe, expect, it } from 'vitest';
import { UUID } from '../../src/lib/uuid.js';

/** Scaleway's ids: UUIDs in canonical text, any version, any case. */
describe('UUID', () => {
  it('matches canonical UUIDs only', () => {
    for (const id of ['97da2849-d73e-4438-b907-d090402c802d', 'ABCDEF01-2345-6789-ABCD-EF0123456789', '00000000-0000-0000-0000-000000000000']) expect(UUID.test(id), id).toBe(true);
    for (const id of ['97da2849d73e4438b907d090402c802d', '{97da2849-d73e-4438-b907-d090402c802d}', '97da2849-d73e-4438-b907-d090402c802', '97da2849-d73e-4438-b907-d090402c802dd', 'x97da2849-d73e-4438-b907-d090402c802d', '97da2849-d73e-4438-b907-d090402c802d\n', 'g7da2849-d73e-4438-b907-d090402c802d', '97da2849-d73e4-438-b907-d090402c802d', '..']) {
      expect(UUID.test(id), id).toBe(false);
    }
  });
});
