-- Audit records and inbound senders keep whole certificate subjects and details. With 200
-- characters for the actor, a refused handshake from a certificate with a longer subject was not
-- recorded at all; details were cut at 4000 characters. text is a type both H2 and PostgreSQL know.
alter table audit_event alter column actor set data type text;
alter table audit_event alter column detail set data type text;
alter table inbound_message alter column sender set data type text;
