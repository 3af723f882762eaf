-- The 办文 watch (办文预警) and its sweep read late open tasks by due time:
-- steps past their time limit, copies not signed for in time, and handovers
-- not acknowledged in time. Both indexes hold only rows that can be late.
CREATE INDEX open_tasks_due ON open_tasks(due_at) WHERE due_at > 0;
CREATE INDEX open_tasks_ack_due ON open_tasks(ack_due_at) WHERE acked = 0 AND ack_due_at > 0;
