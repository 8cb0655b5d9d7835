package clients

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// retryer is the SDK's standard retryer, unchanged but for counting: the
// retry middleware asks RetryDelay exactly once per retry it is about to make.
type retryer struct {
	aws.RetryerV2
	counter *RetryCounter
}

func (r *retryer) RetryDelay(attempt int, err error) (time.Duration, error) {
	if r.counter != nil {
		r.counter.Count(err)
	}
	return r.RetryerV2.RetryDelay(attempt, err)
}
