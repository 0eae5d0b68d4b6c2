import type { Petition } from "@greenlight/sdk";
import { choicesOf, type InboxFilter } from "./inbox-filters.js";
import "./review.css";

/** The inbox's filters (kind, risk, requester, age) and its order, as native selects. */
export function InboxFilters({
  petitions,
  filter,
  onChange,
}: {
  petitions: Petition[];
  filter: InboxFilter;
  onChange: (filter: InboxFilter) => void;
}) {
  const { kinds, requesters } = choicesOf(petitions);
  const set =
    <K extends keyof InboxFilter>(key: K) =>
    (value: string) =>
      onChange({ ...filter, [key]: value as InboxFilter[K] });
  // A chosen value stays listed even when no petition has it any more, so the select shows it.
  const listed = (values: string[], chosen: string) =>
    (chosen && !values.includes(chosen) ? [...values, chosen] : values).map((v): [string, string] => [v, v]);
  return (
    <fieldset className="inbox-filters">
      <legend>Filter and sort</legend>
      <Choice
        label="Kind of resource"
        value={filter.kind}
        onChange={set("kind")}
        options={[["", "All kinds"], ...listed(kinds, filter.kind)]}
      />
      <Choice
        label="Risk"
        value={filter.risk}
        onChange={set("risk")}
        options={[
          ["", "Any risk"],
          ["high", "High risk only"],
          ["not-high", "Not high risk"],
        ]}
      />
      <Choice
        label="Requester"
        value={filter.requester}
        onChange={set("requester")}
        options={[["", "Anyone"], ...listed(requesters, filter.requester)]}
      />
      <Choice
        label="Age"
        value={filter.olderThan}
        onChange={set("olderThan")}
        options={[
          ["", "Any age"],
          ["1h", "Older than 1 hour"],
          ["1d", "Older than 1 day"],
        ]}
      />
      <Choice
        label="Order"
        value={filter.order}
        onChange={set("order")}
        options={[
          ["newest", "Newest first"],
          ["oldest", "Oldest first"],
        ]}
      />
    </fieldset>
  );
}

/** One labelled select of (value, words) options. */
function Choice({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: string;
  options: Array<[string, string]>;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {options.map(([optionValue, words]) => (
          <option key={optionValue} value={optionValue}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}
