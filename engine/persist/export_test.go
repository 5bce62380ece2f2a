package persist_test

import (
	"github.com/hack-pad/hackpadfs"

	"github.com/kubetab/kubetab/engine/persist"
)

func persistSave(fsys hackpadfs.FS) error {
	return persist.Save(fsys, persist.State{Engine: "test"})
}
