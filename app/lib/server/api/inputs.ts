import { z } from 'zod';

/** A date a council could plausibly use; PostgreSQL's own range is far wider than any sitting or deadline. */
export const civilDate = () => z.coerce.date().min(new Date('1900-01-01T00:00:00Z')).max(new Date('2200-01-01T00:00:00Z'));
