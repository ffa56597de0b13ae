// Command ferretdb runs FerretDB v1 through its embeddable package.
//
// A plain `go install github.com/FerretDB/FerretDB/cmd/ferretdb` binary panics at start
// ("Invalid build/version/version.txt", FerretDB issue 2982), so the dev stack builds this
// small launcher instead. It serves the MongoDB wire protocol on a loopback address, backed by
// PostgreSQL (-handler postgresql: equality filters on scalar fields are pushed down to SQL and
// use indexes) or by SQLite files in a data folder (-handler sqlite: only {_id: value} is).
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen-addr", "127.0.0.1:27017", "TCP address to serve the MongoDB wire protocol on")
	handler := flag.String("handler", "sqlite", "backend: sqlite or postgresql")
	dataDir := flag.String("data-dir", "data/ferretdb", "folder for SQLite files (handler sqlite)")
	postgresURL := flag.String("postgresql-url", "postgres://127.0.0.1:5432/ferretdb?user=postgres",
		"PostgreSQL URL, its database existing (handler postgresql)")
	flag.Parse()

	cfg := ferretdb.Config{
		Listener: ferretdb.ListenerConfig{TCP: *listen},
		Handler:  *handler,
	}
	switch *handler {
	case "sqlite":
		dir, err := filepath.Abs(*dataDir)
		if err != nil {
			log.Fatal(err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			log.Fatal(err)
		}
		cfg.SQLiteURL = "file:" + dir + "/"
	case "postgresql":
		cfg.PostgreSQLURL = *postgresURL
	default:
		log.Fatalf("unknown handler %q (want sqlite or postgresql)", *handler)
	}

	f, err := ferretdb.New(&cfg)
	if err != nil {
		log.Fatal(err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	fmt.Fprintf(os.Stderr, "ferretdb: listening on %s (%s)\n", *listen, *handler)
	if err := f.Run(ctx); err != nil && ctx.Err() == nil {
		log.Fatal(err)
	}
}
