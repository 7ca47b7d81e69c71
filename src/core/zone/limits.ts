// Budgets that bound what one lint run may cost, whatever the workspace holds: a zone linter runs by
// itself when a folder is opened (Restricted Mode too), so a hostile folder — symlink loops,
// `$INCLUDE /dev/zero`, FIFOs, a 10 GB file — must cost bounded time and memory, and every limit
// hit is a finding or a message naming the file and the limit, never a crash or a hang.
// docs/security-zone-io.md says why each number is what it is.

export const MiB = 1024 * 1024;

/** What one lint run may read: each file, and all files together (main files and `$INCLUDE`s). */
export interface ReadLimits {
  /** Largest file read; a bigger one is refused whole (`zone-file-too-big`). */
  maxFileBytes: number;
  /** Bytes all files of one run may have together; past it files are refused (`zone-read-budget`). */
  maxTotalBytes: number;
}

/**
 * The CLI: a process of its own, run on purpose. Parsing holds about 18 bytes of JS heap per byte of
 * zone text (1,000,000 records, 34 MB → 660 MB heap), so 128 MiB in all stays near 2.3 GB, well under
 * Node's default 4 GB heap; 64 MiB per file lets through a zone of about two million records.
 */
export const CLI_READ_LIMITS: ReadLimits = { maxFileBytes: 64 * MiB, maxTotalBytes: 128 * MiB };

/**
 * The editor: the extension host is shared with every other extension and must stay responsive.
 * 16 MiB per file (~500,000 records, about 1 s to parse, ~300 MB heap) is below where VS Code itself
 * stops tokenizing (20 MB) and syncing (50 MB) a document; 64 MiB in all keeps the heap near 1.1 GB.
 */
export const EDITOR_READ_LIMITS: ReadLimits = { maxFileBytes: 16 * MiB, maxTotalBytes: 64 * MiB };

/** Directory entries the zone-file search looks at in one run (files and directories, every root together). */
export const WALK_MAX_ENTRIES = 200_000;

/** Directories deep the search goes below a root. */
export const WALK_MAX_DEPTH = 32;

/** A `zones.json` manifest bigger than this is not read: a list of zones is a few kilobytes. */
export const MANIFEST_MAX_BYTES = MiB;

/** How much of a file with no telling name is read to see whether it starts like a zone. */
export const SNIFF_BYTES = 4096;
