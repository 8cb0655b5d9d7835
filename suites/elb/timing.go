package elb

import "time"

// settle is how long a spec watches for something that must NOT happen
// (a duplicate appearing, an instance coming into service) once the thing it
// waits for has settled: a few polls of the target's profile.
func settle() time.Duration { return 5 * f.Polling() }
