const CHANGE_REF = /^CHG-(\d{1,15})$/i;

/** The human ID of a change: CHG-<n>, n being its database id. */
export function formatChangeRef(id: number): string {
  return `CHG-${id}`;
}

/** The change id in "CHG-42" (any case), or undefined when the text is not a change ID. */
export function parseChangeRef(text: string): number | undefined {
  const match = CHANGE_REF.exec(text.trim());
  const id = match?.[1] === undefined ? undefined : Number(match[1]);
  return id !== undefined && id > 0 ? id : undefined;
}
