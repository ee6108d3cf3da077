/**
 * The city view's own NOTIFY channel (sent in the transaction of the change, like 'sitting_events'):
 * `c:<councilId>` — a council's follow-up, petitions or consultations changed (the dashboard refreshes its row);
 * `n:<userId>:<notificationId>` — a new notification for a user (the notification centre shows it live);
 * `k:<consultationId>` — a consultation got an answer or closed (its live result is read again).
 */
export const CITY_EVENTS_CHANNEL = 'city_events';
