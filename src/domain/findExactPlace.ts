import { searchPlaces } from "./understanding/index.js";

export type NamedPlace = { code: string; name: string; fullName: string; type: string };

export type ExactPlace<T extends NamedPlace> = { status: "found"; place: T } | { status: "notFound"; candidates: T[] };

/**
 * The one place whose name matches what an admin typed, without regard to diacritics, case or a "xã"/"tỉnh"
 * prefix; otherwise the closest candidates, so the caller can show them.
 */
export function findExactPlace<T extends NamedPlace>(input: string, places: T[]): ExactPlace<T> {
  const hits = searchPlaces(input, places.map((place) => ({ id: place.code, name: place.name, type: place.type })), 5);
  const byCode = new Map(places.map((place) => [place.code, place]));
  const [best, second] = hits;
  const exact = best?.exact && !(second?.exact && second.score >= best.score) ? byCode.get(best.id) : undefined;
  if (exact) return { status: "found", place: exact };
  return { status: "notFound", candidates: hits.map((hit) => byCode.get(hit.id)).filter((place): place is T => place !== undefined) };
}
