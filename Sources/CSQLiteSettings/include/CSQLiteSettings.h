#ifndef CSQLITESETTINGS_H
#define CSQLITESETTINGS_H

/// Turns off SQLite's global memory statistics for this process. They take one process-wide mutex on every
/// allocation, which serializes threads that write to different databases at once (the demo loader's two
/// files). Must run before SQLite is first used; returns SQLITE_OK (0), or SQLITE_MISUSE when it was too late.
int fulcrum_sqlite_disable_memory_statistics(void);

#endif
