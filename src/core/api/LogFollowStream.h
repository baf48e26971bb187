#pragma once

#include "Result.h"
#include "jobs/JobLogFollow.h"

#include <QJsonObject>
#include <functional>
#include <memory>

namespace gpudeck {

class ResponseStream;

// The server-sent-event side of a followed log (JobLogFollow: a job's log, a model's own log): one `data:` event per
// line as the producer hands the bytes over, the last line too when it had no newline, then one `end` event whose
// data is `endEvent(status)` (how the follow ended), and the response ends. `start` starts the follow with the two
// callbacks (they run on the producer's thread, possibly before `start` returns: what they write then is sent once
// the stream has begun; the stream's writes are carried out on the API thread); an error it answers is sent instead,
// as an ordinary response. The client leaving stops the follower.
using StartLogFollow =
    std::function<Result<std::shared_ptr<JobLogFollow>>(JobLogFollow::Output output, JobLogFollow::Finished finished)>;
void streamLogFollow(const std::shared_ptr<ResponseStream> &stream, const StartLogFollow &start,
                     std::function<QJsonObject(const Status &status)> endEvent);

} // namespace gpudeck
