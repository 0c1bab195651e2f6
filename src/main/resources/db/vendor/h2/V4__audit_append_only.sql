-- The audit trail is append-only in the database too (nl.wmogateway.store.AuditAppendOnly): a
-- chained record is never updated, and deleted only behind the start of the chain (the purge).
create trigger if not exists audit_append_only before update, delete on audit_event
    for each row call 'nl.wmogateway.store.AuditAppendOnly';
