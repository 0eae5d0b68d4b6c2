import type { Resource } from "@greenlight/sdk";
import { what } from "../format.js";
import "./request.css";

/** A resource's identity in the catalog, to tell chosen ones apart. */
export function resourceKey(resource: Resource): string {
  return `${resource.kind}/${resource.id ?? resource.email ?? ""}`;
}

/** The resources chosen for one request, each a chip that can be taken out again. */
export function ChosenResources({ chosen, onRemove }: { chosen: Resource[]; onRemove: (resource: Resource) => void }) {
  return (
    <ul className="request-chips" aria-label="Chosen resources">
      {chosen.map((resource) => (
        <li key={resourceKey(resource)} className="request-chip">
          <span>{what(resource)}</span>
          <button type="button" onClick={() => onRemove(resource)} aria-label={`Remove ${what(resource)}`}>
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}
