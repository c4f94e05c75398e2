"use client";
import type { Access } from "@/lib/access/scope";
import { can } from "@/lib/access/can";
import { ShareDialog } from "@/components/shares/share-dialog";
import { ContentTypeDialog } from "./content-type-dialog";
import { CopyMoveDialog } from "./copy-move-dialog";
import { DeleteObjectsDialog } from "./delete-objects-dialog";
import { ObjectDetails } from "./object-details";
import { RestoreDialog } from "./restore-dialog";

type Selection = { keys: string[]; prefixes: string[] };

/** The one dialog (or details panel) the object browser shows at a time. */
export type BrowserDialog =
  | { kind: "details"; key: string }
  | { kind: "share"; share: "download" | "upload"; target: string }
  | ({ kind: "copy"; rename: boolean } & Selection)
  | ({ kind: "delete" } & Selection)
  | ({ kind: "restore" } & Selection)
  | { kind: "content-type"; keys: string[] };

export function BrowserDialogs({
  dialog,
  bucket,
  connectionId,
  prefix,
  access,
  onClose,
  onCopy,
}: {
  dialog: BrowserDialog | null;
  bucket: string;
  connectionId: string;
  prefix: string;
  access: Access;
  /** `changed`: the listing is stale (refreshed once, after the whole job). */
  onClose: (changed: boolean) => void;
  onCopy: (text: string) => void;
}) {
  if (!dialog) return null;
  const common = { bucket, connectionId };
  switch (dialog.kind) {
    case "details":
      return (
        <ObjectDetails
          key={dialog.key}
          {...common}
          objectKey={dialog.key}
          mayChangeClass={can(access, "objects.storage-class", { bucket, path: dialog.key })}
          onClose={() => onClose(false)}
          onCopy={onCopy}
        />
      );
    case "share":
      return (
        <ShareDialog {...common} kind={dialog.share} target={dialog.target} onClose={() => onClose(false)} />
      );
    case "copy":
      return (
        <CopyMoveDialog
          {...common}
          prefix={prefix}
          keys={dialog.keys}
          prefixes={dialog.prefixes}
          rename={dialog.rename}
          onClose={onClose}
        />
      );
    case "delete":
      return (
        <DeleteObjectsDialog {...common} keys={dialog.keys} prefixes={dialog.prefixes} onClose={onClose} />
      );
    case "restore":
      return (
        <RestoreDialog
          {...common}
          keys={dialog.keys}
          prefixes={dialog.prefixes}
          onClose={() => onClose(false)}
        />
      );
    case "content-type":
      return <ContentTypeDialog {...common} keys={dialog.keys} onClose={onClose} />;
  }
}
