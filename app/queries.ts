// Typed queries of the Vorklee2 notes API against `app/db/notes.ts`, the
// module `sluice build` writes from schemas/ (`schema_ts` in
// schemas/workspace.sluice). tsc checks every table, column and value type
// here against the schema the migrations build; the test suite compiles it.
import { and, desc, eq, isNull } from "drizzle-orm";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import { attachments, notebooks, notes } from "./db/notes";

type Db = PgDatabase<PgQueryResultHKT>;

/** The live notes of a notebook, pinned first, newest first. */
export function notesOf(db: Db, orgId: string, notebookId: string) {
  return db
    .select({
      id: notes.id,
      title: notes.title,
      summary: notes.summary,
      tags: notes.tags,
      pinned: notes.pinned,
      updatedAt: notes.updatedAt,
    })
    .from(notes)
    .where(and(eq(notes.orgId, orgId), eq(notes.notebookId, notebookId), isNull(notes.deletedAt)))
    .orderBy(desc(notes.pinned), desc(notes.updatedAt));
}

/** A notebook with its first note and an attachment: every column type. */
export async function createNotebook(db: Db, orgId: string, userId: string) {
  const now = new Date();
  const [notebook] = await db
    .insert(notebooks)
    .values({
      orgId,
      userId,
      title: "Ideas",
      description: null,
      color: "#a0b0c0",
      archived: false,
      sortOrder: 1,
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
      createdBy: userId,
      updatedBy: userId,
    })
    .returning({ id: notebooks.id });
  const [note] = await db
    .insert(notes)
    .values({
      orgId,
      userId,
      notebookId: notebook.id,
      title: "First note",
      body: null,
      content: "Hello",
      summary: "Hello",
      tags: ["draft"],
      pinned: true,
    })
    .returning({ id: notes.id });
  await db.insert(attachments).values({
    orgId,
    userId,
    noteId: note.id,
    fileName: "plan.pdf",
    storageKey: `attachments/${orgId}/plan.pdf`,
    sizeBytes: 1024,
    mimeType: "application/pdf",
    checksumSha256: "0".repeat(64),
  });
  return note.id;
}
