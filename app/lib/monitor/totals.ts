/** The parts of a dashboard row the totals add up (structural, so this file imports neither side's row type). */
interface CountedRow {
	status: string;
	sittings: { today: number; term: number };
	resolutions: { issued: number };
	tasks: { overdue: number; onTime: number };
	petitions: { pending: number };
}

/** Totals over the rows (the dashboard's header); used on the server and in the browser. */
export function totals(rows: CountedRow[]) {
	const t = { councils: rows.length, inSession: 0, voting: 0, sittingsToday: 0, sittingsTerm: 0, resolutionsIssued: 0, tasksOverdue: 0, tasksOnTime: 0, petitionsPending: 0 };
	for (const r of rows) {
		if (r.status === 'in_session' || r.status === 'voting') t.inSession++;
		if (r.status === 'voting') t.voting++;
		t.sittingsToday += r.sittings.today;
		t.sittingsTerm += r.sittings.term;
		t.resolutionsIssued += r.resolutions.issued;
		t.tasksOverdue += r.tasks.overdue;
		t.tasksOnTime += r.tasks.onTime;
		t.petitionsPending += r.petitions.pending;
	}
	return t;
}
