import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import {
  appendEvent,
  appendEvents,
  headMove,
  linkNext,
} from "../../app/lib/server/sittings/events";
import { verifySittingChain } from "../../app/lib/server/sittings/verify-chain";
import { db } from "../helpers/callers";
import { convenedSitting } from "../helpers/sittings";

// The one append of sitting events (sittings/events.ts): every event of the code base is stored through it, a
// single event under the sitting's lock as a group of one, a group of casts of many sittings in one statement.

async function headOf(sittingId: string) {
  return db()
    .selectFrom("sittings")
    .select(["last_seq", "head_hash"])
    .where("id", "=", sittingId)
    .executeTakeFirstOrThrow();
}

async function storedSeqs(sittingId: string, type: string) {
  const rows = await db()
    .selectFrom("sitting_events")
    .select("seq")
    .where("sitting_id", "=", sittingId)
    .where("type", "=", type)
    .orderBy("seq")
    .execute();
  return rows.map((r) => Number(r.seq));
}

describe("appendEvents: the grouped append of sitting events", () => {
  it("stores a group of one under the lock (appendEvent), linked onto the head", async () => {
    const { sittingId } = await convenedSitting("26743");
    const before = Number((await headOf(sittingId)).last_seq);
    const event = await db()
      .transaction()
      .execute(async (trx) => {
        await sql`select id from sittings where id = ${sittingId} for update`.execute(
          trx,
        );
        return appendEvent(trx, sittingId, "test.one", { n: 1 });
      });
    expect(event.seq).toBe(before + 1);
    const after = await headOf(sittingId);
    expect(Number(after.last_seq)).toBe(before + 1);
    expect(await storedSeqs(sittingId, "test.one")).toEqual([before + 1]);
    expect(await verifySittingChain(db(), sittingId)).toMatchObject({
      ok: true,
    });
  });

  it("stores the events of several sittings in one statement, each chained from its own head in order", async () => {
    const sittings = [
      (await convenedSitting("26743")).sittingId,
      (await convenedSitting("26740")).sittingId,
    ];
    const createdAt = new Date().toISOString();
    const heads = await Promise.all(
      sittings.map(async (id) => headMove(id, await headOf(id))),
    );
    const starts = heads.map((h) => h.seq);
    // Interleaved as casts arrive: A, B, A, A, B.
    const events = [0, 1, 0, 0, 1].map((s, i) =>
      linkNext(heads[s], "test.many", { i }, createdAt),
    );
    expect(await appendEvents(db(), heads, events)).toEqual(new Set(sittings));
    expect(await storedSeqs(sittings[0], "test.many")).toEqual([
      starts[0] + 1,
      starts[0] + 2,
      starts[0] + 3,
    ]);
    expect(await storedSeqs(sittings[1], "test.many")).toEqual([
      starts[1] + 1,
      starts[1] + 2,
    ]);
    for (const [s, id] of sittings.entries()) {
      const head = await headOf(id);
      expect([Number(head.last_seq), head.head_hash]).toEqual([
        heads[s].seq,
        heads[s].hash,
      ]);
      expect(await verifySittingChain(db(), id)).toMatchObject({ ok: true });
    }
  });

  it("writes nothing of a sitting whose head moved since it was read, and still writes the others' parts", async () => {
    const sittings = [
      (await convenedSitting("26743")).sittingId,
      (await convenedSitting("26740")).sittingId,
    ];
    const createdAt = new Date().toISOString();
    const heads = await Promise.all(
      sittings.map(async (id) => headMove(id, await headOf(id))),
    );
    // Another change of the first sitting comes first.
    await db()
      .transaction()
      .execute((trx) => appendEvent(trx, sittings[0], "test.other", {}));
    const events = [
      linkNext(heads[0], "test.stale", {}, createdAt),
      linkNext(heads[1], "test.fresh", {}, createdAt),
    ];
    expect(await appendEvents(db(), heads, events)).toEqual(
      new Set([sittings[1]]),
    );
    expect(await storedSeqs(sittings[0], "test.stale")).toEqual([]);
    expect(await storedSeqs(sittings[1], "test.fresh")).toEqual([heads[1].seq]);
    for (const id of sittings)
      expect(await verifySittingChain(db(), id)).toMatchObject({ ok: true });
  });

  it("writes companions only with their sitting's events, and nothing at all when the guard fails", async () => {
    const { sittingId } = await convenedSitting("26743");
    const head = headMove(sittingId, await headOf(sittingId));
    const event = linkNext(head, "test.guarded", {}, new Date().toISOString());
    const titled = sql`titled as (update agenda_items set title = 'Đổi tên' where sitting_id = ${sittingId} and exists (select 1 from head))`;
    const titles = async () =>
      (
        await db()
          .selectFrom("agenda_items")
          .select("title")
          .where("sitting_id", "=", sittingId)
          .execute()
      ).map((r) => r.title);
    expect(
      await appendEvents(db(), [head], [event], {
        alongside: [titled],
        guard: sql`s.status = 'draft'`,
      }),
    ).toEqual(new Set());
    expect(await storedSeqs(sittingId, "test.guarded")).toEqual([]);
    expect(await titles()).not.toContain("Đổi tên");
    expect(
      await appendEvents(db(), [head], [event], {
        alongside: [titled],
        guard: sql`s.status = 'convened'`,
      }),
    ).toEqual(new Set([sittingId]));
    expect(await storedSeqs(sittingId, "test.guarded")).toEqual([head.seq]);
    expect(await titles()).toEqual(["Đổi tên", "Đổi tên"]);
  });
});
