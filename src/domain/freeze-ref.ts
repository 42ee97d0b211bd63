const FREEZE_REF = /^(?:FRZ-)?([1-9]\d{0,9})$/i;

/** A freeze announced from Slack, by its ID: "FRZ-3". */
export const formatFreezeRef = (id: number) => `FRZ-${id}`;

/** The freeze id in "FRZ-3" or "3" (any case), or undefined when the text is not a freeze ID. */
export function parseFreezeRef(text: string): number | undefined {
  const match = FREEZE_REF.exec(text.trim());
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
