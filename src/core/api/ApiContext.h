#pragma once

#include "store/ConnectionRepository.h"
#include "store/JobRepository.h"
#include "store/ProjectRepository.h"

namespace gpudeck {

// What the controllers work with. The repositories are thread-safe façades over the database.
struct ApiContext
{
    ConnectionRepository &connections;
    ProjectRepository &projects;
    JobRepository &jobs;
};

} // namespace gpudeck
