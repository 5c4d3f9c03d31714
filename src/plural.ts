/**
 * A count with its noun in the right number, for summaries and messages.
 *
 * @example
 * plural(1, "account"); // "1 account"
 * plural(3, "account-region"); // "3 account-regions"
 * plural(2, "entry", "entries"); // "2 entries"
 */
export function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : nouns}`;
}
