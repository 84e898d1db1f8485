import { z } from "zod";

/** Characters as a person sees them after NFC (what platforms count), at least `min`, at most `max`. */
export function chars(min: number, max: number) {
  return z.string().refine((value) => {
    const length = [...value.normalize("NFC")].length;
    return length >= min && length <= max;
  }, `must have ${min} to ${max} characters`);
}
