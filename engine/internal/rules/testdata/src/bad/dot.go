package bad

import . "time" // want "dot import time"

// Now here is time.Now, which the dot import hid: the import itself is reported.
var _ = Now
