// The persistence figures a server keeps (INFO persistence and stats, the
// DEBUG switches that affect loading). A small module of its own so that
// server.ts can hold one without importing the RDB code.

export class PersistenceState {
  /** SAVE (and BGSAVE) calls: INFO rdb_saves. */
  rdbSaves = 0;
  /** Whether the last save succeeded: INFO rdb_last_bgsave_status. */
  lastSaveOk = true;
  /** Keys the last RDB load added and skipped as expired: INFO rdb_last_load_keys_loaded / _expired. */
  lastLoadKeysLoaded = 0;
  lastLoadKeysExpired = 0;
  /** DEBUG SET-SKIP-CHECKSUM-VALIDATION: RDB files and RESTORE payloads are not checksummed. */
  skipChecksumValidation = false;
  /** RESTORE payloads sanitized in depth (sanitize-dump-payload): INFO dump_payload_sanitizations. */
  dumpPayloadSanitizations = 0;
}
