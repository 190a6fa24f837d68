/**
 * Enum values `<KEY>_ASC` / `<KEY>_DESC` whose internal values are the upstream's own `key_asc` /
 * `key_desc` spelling, each described.
 */
export function sortOrderValues<const K extends string, V extends string>(
  keys: readonly K[],
  note: (key: K) => string = () => '',
): Record<`${K}_${'ASC' | 'DESC'}`, { value: V; description: string }> {
  return Object.fromEntries(
    keys.flatMap((key) =>
      (['ASC', 'DESC'] as const).map((dir) => [
        `${key}_${dir}`,
        {
          value: `${key}_${dir}`.toLowerCase() as V,
          description: `By ${key.toLowerCase().replace(/_/g, ' ')}, ${dir === 'ASC' ? 'ascending' : 'descending'}${note(key)}.`,
        },
      ]),
    ),
  ) as Record<`${K}_${'ASC' | 'DESC'}`, { value: V; description: string }>;
}
