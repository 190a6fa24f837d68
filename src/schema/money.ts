import { builder } from '../builder.js';
import type { Money } from '../lib/money.js';

export const MoneyRef = builder.objectRef<Money>('Money').implement({
  description: 'An exact amount of money. Never added across currencies.',
  fields: (t) => ({
    amount: t.field({
      type: 'Decimal',
      description: 'The amount, exact to the nano (9 decimals); negative for credits and discounts.',
      // Served from the upstream's integers when they are at hand: no Decimal to build for a value passed through.
      resolve: (m) => m.text ?? m.amount,
    }),
    currency: t.expose('currency', { type: 'Currency', description: 'ISO 4217 currency code, such as `EUR`.' }),
  }),
});

