-- The audit trail is append-only in the database too: a chained record is never updated, and
-- deleted only behind the start of the chain, which the retention purge moves first
-- (audit_head.purged_seq). A record from before the chain may get its pseudonym instead of the BSN.
create or replace function audit_event_append_only() returns trigger as $$
begin
    if tg_op = 'UPDATE' then
        if old.seq is null and new.seq is null then
            return new;
        end if;
        raise exception 'audit_event is append-only: record % cannot be changed', old.seq
            using errcode = '42501';
    end if;
    if old.seq is not null and old.seq > (select purged_seq from audit_head where id = 1) then
        raise exception 'audit_event is append-only: record % can only be removed by the retention purge', old.seq
            using errcode = '42501';
    end if;
    return old;
end;
$$ language plpgsql;

drop trigger if exists audit_append_only on audit_event;
create trigger audit_append_only before update or delete on audit_event
    for each row execute function audit_event_append_only();
