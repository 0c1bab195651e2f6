-- Encryption at rest and an audit trail that cannot be changed unnoticed (docs/privacy.md).
-- Bodies, plans, findings and the BSN are stored sealed (nl.wmogateway.store.Sealer); a client is
-- found by a pseudonym (a keyed hash of the BSN), never by the BSN itself.
alter table wmo_request add column if not exists client_ref varchar(64);
alter table wmo_request alter column client_bsn set data type text;
alter table wmo_request alter column status_reason set data type text;
drop index if exists ix_request_client;
create index if not exists ix_request_client_ref on wmo_request (client_ref);
create index if not exists ix_request_updated on wmo_request (status, updated_at);

-- What became of a raw body: its hash stays when the body itself is purged after its retention.
alter table inbound_message add column if not exists client_ref varchar(64);
alter table inbound_message add column if not exists body_sha256 varchar(64);
alter table inbound_message add column if not exists body_purged_at timestamp with time zone;
create index if not exists ix_inbound_received on inbound_message (received_at);
create index if not exists ix_inbound_client_ref on inbound_message (client_ref);
create index if not exists ix_inbound_request on inbound_message (request_id);

-- The audit trail: each record carries its place in the chain (seq), the hash of the record before
-- it and its own hash over both; audit_head holds the newest link, and where the chain starts after
-- records past their retention were removed. client_bsn of records from before this version is
-- replaced by the pseudonym by the housekeeping; new records never hold a BSN.
alter table audit_event add column if not exists client_ref varchar(64);
alter table audit_event add column if not exists seq bigint;
alter table audit_event add column if not exists prev_hash varchar(64);
alter table audit_event add column if not exists hash varchar(64);
create unique index if not exists ux_audit_seq on audit_event (seq);
create index if not exists ix_audit_client_ref on audit_event (client_ref);
create index if not exists ix_audit_at on audit_event (at);

create table if not exists audit_head (
    id           int           primary key,
    seq          bigint        not null,
    hash         varchar(64)   not null,
    purged_seq   bigint        not null,
    purged_hash  varchar(64)   not null
);
insert into audit_head (id, seq, hash, purged_seq, purged_hash)
    select 1, 0, '0000000000000000000000000000000000000000000000000000000000000000', 0,
           '0000000000000000000000000000000000000000000000000000000000000000'
    where not exists (select 1 from audit_head where id = 1);
