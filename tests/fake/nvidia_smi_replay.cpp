// A compiled fast path of the replaying fake nvidia-smi (tests/fake/nvidia-smi, python3), for benchmarks that run
// dozens of fake hosts on one machine: a Python interpreter costs ~50 ms of CPU to start, and with 32 hosts each
// starting two of them the hosts, not GPU Deck, decide how long a start-up takes. This program answers, without
// Python, the two commands GPU Deck sends on every host:
//
//   nvidia-smi --query-gpu=<recorded fields> --format=csv,noheader,nounits [-lms N]
//   nvidia-smi --query-compute-apps=<pid,process_name,used_memory,gpu_uuid> --format=csv,noheader,nounits
//
// the same way the script does (loop.csv round-robin, index/uuid/bus id rewritten per GPU, timestamp now; the
// compute-apps recording as it is), from the same installation (fake-nvidia-smi.conf and fixtures/ next to it).
// Anything else -- another command or field, a header or units, a failure mode, GB10 mode, a tick limit, a value in
// the control file, a FAKE_NVIDIA_SMI_* variable -- is handed to the script (exec of `nvidia-smi` next to this
// program), as is a running loop whose control file changes. So it never answers differently from the script: it
// only answers sooner. FakeNvidiaSmi::install(..., Replayer::Compiled) puts it first on the PATH.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

extern char **environ;

namespace {

const char *const kRecordedFields[] = {"timestamp",
                                       "index",
                                       "uuid",
                                       "name",
                                       "pci.bus_id",
                                       "driver_version",
                                       "pstate",
                                       "utilization.gpu",
                                       "utilization.memory",
                                       "memory.total",
                                       "memory.used",
                                       "memory.free",
                                       "temperature.gpu",
                                       "temperature.memory",
                                       "power.draw",
                                       "power.limit",
                                       "fan.speed",
                                       "clocks.sm",
                                       "clocks.mem",
                                       "clocks.max.sm",
                                       "clocks_throttle_reasons.active",
                                       "ecc.errors.uncorrected.volatile.total"};
constexpr int kFieldCount = sizeof(kRecordedFields) / sizeof(kRecordedFields[0]);
constexpr int kTimestamp = 0, kIndex = 1, kUuid = 2, kBusId = 4;

std::string g_here;
char **g_argv = nullptr;

// Hands the command to the script, which knows everything.
[[noreturn]] void delegate()
{
    const std::string script = g_here + "/nvidia-smi";
    g_argv[0] = const_cast<char *>(script.c_str());
    ::execve(script.c_str(), g_argv, environ);
    std::fprintf(stderr, "fake nvidia-smi: cannot run %s: %s\n", script.c_str(), std::strerror(errno));
    std::exit(9);
}

std::string trim(const std::string &s)
{
    const size_t b = s.find_first_not_of(" \t\r\n");
    const size_t e = s.find_last_not_of(" \t\r\n");
    return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
}

std::vector<std::string> split(const std::string &s, const std::string &sep)
{
    std::vector<std::string> parts;
    size_t start = 0;
    for (size_t at = s.find(sep); at != std::string::npos; at = s.find(sep, start)) {
        parts.push_back(s.substr(start, at - start));
        start = at + sep.size();
    }
    parts.push_back(s.substr(start));
    return parts;
}

bool readLines(const std::string &path, std::vector<std::string> *lines)
{
    FILE *f = std::fopen(path.c_str(), "r");
    if (!f) {
        return false;
    }
    char buf[4096];
    while (std::fgets(buf, sizeof buf, f)) {
        std::string line(buf);
        while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) {
            line.pop_back();
        }
        lines->push_back(line);
    }
    std::fclose(f);
    return true;
}

// key=value lines; false when a key this program does not handle has a value that asks for the script.
bool plainConfig(const std::string &path, std::string *fixtures, std::string *control, int *gpus)
{
    std::vector<std::string> lines;
    readLines(path, &lines);
    for (const std::string &raw : lines) {
        const std::string line = trim(raw);
        const size_t eq = line.find('=');
        if (line.empty() || line[0] == '#' || eq == std::string::npos) {
            continue;
        }
        const std::string key = trim(line.substr(0, eq));
        const std::string value = trim(line.substr(eq + 1));
        if (key == "fixtures") {
            *fixtures = value;
        } else if (key == "control") {
            *control = value;
        } else if (key == "gpus") {
            *gpus = std::max(1, std::atoi(value.c_str()));
        } else if (!value.empty() && value != "0" && value != "false" && value != "no" && value != "off") {
            return false; // gb10, fail, ticks, temperature...: the script's business
        }
    }
    return true;
}

struct timespec modified(const std::string &path)
{
    struct stat st
    {
    };
    if (::stat(path.c_str(), &st) != 0) {
        return {};
    }
    return st.st_mtim;
}

std::string fixtureFile(const std::string &fixtures, const char *name)
{
    for (const std::string &candidate :
         {fixtures + "/" + name, fixtures.substr(0, fixtures.find_last_of('/')) + "/" + name}) {
        if (::access(candidate.c_str(), R_OK) == 0) {
            return candidate;
        }
    }
    return {};
}

std::string optionValue(int *i, int argc, char **argv, const char *flag)
{
    const char *a = argv[*i];
    const char *eq = std::strchr(a, '=');
    if (eq && std::strncmp(a, flag, std::strlen(flag)) == 0) {
        return eq + 1;
    }
    if (*i + 1 >= argc) {
        delegate();
    }
    return argv[++*i];
}

} // namespace

int main(int argc, char **argv)
{
    g_argv = argv;
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) {
        return 9;
    }
    self[n] = '\0';
    g_here = std::string(self).substr(0, std::string(self).find_last_of('/'));
    for (char **e = environ; *e; ++e) {
        if (std::strncmp(*e, "FAKE_NVIDIA_SMI_", 16) == 0) {
            delegate();
        }
    }
    std::string fixtures = g_here + "/fixtures";
    std::string control = g_here + "/control";
    int gpus = 1;
    if (!plainConfig(g_here + "/fake-nvidia-smi.conf", &fixtures, &control, &gpus)) {
        delegate();
    }
    std::string dummyFixtures, dummyControl;
    int dummyGpus = 1;
    if (!plainConfig(control, &dummyFixtures, &dummyControl, &dummyGpus)) {
        delegate();
    }

    std::string queryGpu, queryApps, format;
    long loopMs = 0;
    for (int i = 1; i < argc; ++i) {
        if (std::strncmp(argv[i], "--query-gpu", 11) == 0) {
            queryGpu = optionValue(&i, argc, argv, "--query-gpu");
        } else if (std::strncmp(argv[i], "--query-compute-apps", 20) == 0) {
            queryApps = optionValue(&i, argc, argv, "--query-compute-apps");
        } else if (std::strncmp(argv[i], "--format", 8) == 0) {
            format = optionValue(&i, argc, argv, "--format");
        } else if (std::strcmp(argv[i], "-lms") == 0) {
            loopMs = std::atol(optionValue(&i, argc, argv, "-lms").c_str());
            if (loopMs <= 0) {
                delegate();
            }
        } else {
            delegate();
        }
    }
    if (format != "csv,noheader,nounits" || queryGpu.empty() == queryApps.empty()) {
        delegate();
    }

    if (!queryApps.empty()) {
        if (queryApps != "pid,process_name,used_memory,gpu_uuid" || loopMs) {
            delegate();
        }
        // The recording as it is: these are exactly its columns, in its order.
        std::vector<std::string> lines;
        readLines(fixtureFile(fixtures, "compute-apps.csv"), &lines);
        for (const std::string &line : lines) {
            if (split(line, ", ").size() >= 4) {
                std::printf("%s\n", line.c_str());
            }
        }
        return 0;
    }

    std::vector<int> columns;
    for (const std::string &field : split(queryGpu, ",")) {
        int column = -1;
        for (int c = 0; c < kFieldCount; ++c) {
            column = trim(field) == kRecordedFields[c] ? c : column;
        }
        if (column < 0) {
            delegate(); // an alias, an unrecorded or an invalid field
        }
        columns.push_back(column);
    }
    std::vector<std::vector<std::string>> loop;
    std::vector<std::string> lines;
    if (!readLines(fixtureFile(fixtures, "loop.csv"), &lines)) {
        delegate();
    }
    for (const std::string &line : lines) {
        if (trim(line).empty()) {
            continue;
        }
        std::vector<std::string> values = split(line, ", ");
        if (static_cast<int>(values.size()) != kFieldCount) {
            delegate();
        }
        for (std::string &v : values) {
            v = trim(v);
        }
        loop.push_back(values);
    }
    if (loop.empty()) {
        delegate();
    }

    const struct timespec controlStamp = modified(control);
    size_t cursor = 0;
    struct timespec start
    {
    };
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    for (long tick = 1;; ++tick) {
        struct timespec now
        {
        };
        ::clock_gettime(CLOCK_REALTIME, &now);
        struct tm local
        {
        };
        ::localtime_r(&now.tv_sec, &local);
        char stamp[64];
        const size_t len = std::strftime(stamp, sizeof stamp, "%Y/%m/%d %H:%M:%S", &local);
        std::snprintf(stamp + len, sizeof stamp - len, ".%03ld", now.tv_nsec / 1000000);
        std::string out;
        for (int gpu = 0; gpu < gpus; ++gpu) {
            std::vector<std::string> values = loop[cursor++ % loop.size()];
            values[kTimestamp] = stamp;
            values[kIndex] = std::to_string(gpu);
            if (gpu > 0) {
                char hex[8];
                std::snprintf(hex, sizeof hex, "%04x", gpu);
                std::string &uuid = values[kUuid];
                uuid = uuid.substr(0, uuid.size() >= 4 ? uuid.size() - 4 : 0) + hex;
                char bus[32];
                std::snprintf(bus, sizeof bus, "00000000:00:%02X.0", 6 + gpu);
                values[kBusId] = bus;
            }
            for (size_t c = 0; c < columns.size(); ++c) {
                out += (c ? ", " : "") + values[columns[c]];
            }
            out += '\n';
        }
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
            return 0; // the reader went away
        }
        if (!loopMs) {
            return 0;
        }
        struct timespec mono
        {
        };
        ::clock_gettime(CLOCK_MONOTONIC, &mono);
        const double elapsed =
            static_cast<double>(mono.tv_sec - start.tv_sec) + static_cast<double>(mono.tv_nsec - start.tv_nsec) / 1e9;
        double due = static_cast<double>(tick) * static_cast<double>(loopMs) / 1000.0;
        if (due < elapsed) { // late: skip the ticks that passed, as the script does
            tick = static_cast<long>(elapsed * 1000.0 / static_cast<double>(loopMs)) + 1;
            due = static_cast<double>(tick) * static_cast<double>(loopMs) / 1000.0;
        }
        const double wait = due - elapsed;
        struct timespec pause
        {
            static_cast<time_t>(wait), static_cast<long>(std::fmod(wait, 1.0) * 1e9)
        };
        while (::nanosleep(&pause, &pause) != 0 && errno == EINTR) {
        }
        const struct timespec stampNow = modified(control);
        if (stampNow.tv_sec != controlStamp.tv_sec || stampNow.tv_nsec != controlStamp.tv_nsec) {
            delegate(); // a test changed a running loop: the script takes it from here
        }
    }
}
