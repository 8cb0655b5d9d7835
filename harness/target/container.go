package target

import (
	"context"
	"errors"
	"io"

	"github.com/elbconform/elbconform/harness/config"
)

// startContainer runs the reference emulator in a container.
func startContainer(ctx context.Context, cfg *config.Config, log io.Writer) (*Running, error) {
	return nil, errors.New("the container target is not built yet")
}
