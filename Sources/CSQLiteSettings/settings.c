// sqlite3_config is variadic, so Swift cannot call it; this is the one call Fulcrum needs.
#include <sqlite3.h>
#include "CSQLiteSettings.h"

int fulcrum_sqlite_disable_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
