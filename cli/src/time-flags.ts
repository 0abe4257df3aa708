/**
 * `--at -2h` reads, to node's parseArgs, like a flag named "-2h"; rewrite it
 * to `--at=-2h` so relative times work without the `=`.
 */
export function attachRelativeTimes(argv: string[], flags: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (flags.includes(argv[i]) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}
