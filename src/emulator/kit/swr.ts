// SWR names the emulator checks on save-image requests (training tasks and notebooks alike). The emulator
// keeps its own copy of these rules, apart from the client's, so it stays an independent oracle of the service.

/**
 * Why an SWR organization (namespace) name is refused, or undefined when it is valid. The rule is SWR's
 * "Creating an Organization" (POST /v2/manage/namespaces): 1 to 64 characters, starting with a lowercase
 * letter and ending with a lowercase letter or digit; only lowercase letters, digits, periods, underscores
 * and hyphens; periods, underscores and hyphens never next to each other, except at most two underscores
 * in a row (`a__b` is valid; `a._b`, `a-.b`, `a___b`, `a.`, `1a` are not).
 */
export function swrOrganizationProblem(namespace: unknown): string | undefined {
  if (typeof namespace !== 'string' || namespace === '') return 'namespace is required: an SWR organization';
  if (namespace.length > 64) return 'namespace is longer than 64 characters';
  if (!/^[a-z]/.test(namespace)) return 'namespace must start with a lowercase letter';
  if (!/^[a-z0-9._-]+$/.test(namespace)) return 'namespace may contain only lowercase letters, digits, ".", "_" and "-"';
  if (!/[a-z0-9]$/.test(namespace)) return 'namespace must end with a lowercase letter or a digit';
  // Runs of separators: only "__" may stand together.
  for (const run of namespace.match(/[._-]{2,}/g) ?? []) {
    if (run !== '__') return 'namespace may not put ".", "_" or "-" next to each other (at most two "_" in a row)';
  }
  return undefined;
}

/** The namespace of a request body, or the error `fail` makes of the reason it is refused. */
export function swrOrganization(namespace: unknown, fail: (message: string) => Error): string {
  const problem = swrOrganizationProblem(namespace);
  if (problem !== undefined || typeof namespace !== 'string') throw fail(`Invalid namespace: ${problem ?? 'not text'}.`);
  return namespace;
}
