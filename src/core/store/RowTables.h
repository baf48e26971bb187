#pragma once

#include "store/RowJson.h"

#include <QPair>

namespace gpudeck {

// The one list of each entity's fields as the API answers them (RowJson.h): JSON key, column, kind. The list and
// get routes write rows with these; tst_api_rows_json checks them against the entities' toJson() and against the
// schemas in docs/openapi.yaml (RowTables::schemaNames()).
namespace RowTables {

const RowTable &connections(); // Connection
const RowTable &projects();    // Project (GET /projects/:id adds "jobs")
const RowTable &jobs();        // Job
const RowTable &jobAttempts(); // JobAttempt
const RowTable &alerts();      // Alert
const RowTable &execLog();     // ExecLogEntry
const RowTable &audit();       // AuditEntry

// Every table with the name of its schema in docs/openapi.yaml (components.schemas).
QList<QPair<const RowTable *, QString>> schemaNames();

} // namespace RowTables
} // namespace gpudeck
