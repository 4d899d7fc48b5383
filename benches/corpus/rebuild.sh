#!/bin/sh
# Rebuild benches/corpus/ from the projects and commits in SOURCES.md.
# Needs git and network access to github.com. Run from the repository root.
set -eu
out=benches/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
take() { # repo commit path-in-repo destination licence-file folder
	git clone --quiet --filter=blob:none --no-checkout "https://github.com/$1.git" "$tmp/$4"
	git -C "$tmp/$4" checkout --quiet "$2" -- "$3" "$5"
	rm -rf "${out:?}/$4"
	mkdir -p "$out/$4"
	cp -R "$tmp/$4/$3" "$out/$4/$6"
	cp "$tmp/$4/$5" "$out/$4/LICENSE"
	find "$out/$4" -name '*.json' ! -name '_journal.json' -delete
	find "$out/$4" -name '*.backup' -delete
}
take triggerdotdev/trigger.dev b082e44389337dc6505d590737a6df70867cc8f4 internal-packages/database/prisma/migrations trigger.dev LICENSE migrations
take umami-software/umami c0ea3aefbee7a3429ee2f824b06dc4a9dbe0b7e1 prisma/migrations umami LICENSE migrations
take hoppscotch/hoppscotch afc2cf181c16e56647b099e5d18cfe55710c6cdd packages/hoppscotch-backend/prisma/migrations hoppscotch LICENSE migrations
take Dokploy/dokploy 772b76821771c53b072c2fbb95cf8876e1a65ae4 apps/dokploy/drizzle dokploy LICENSE.MD drizzle
take pressly/goose 520411a16119bd3b332613d1ff8312c4cc249673 internal/testing/integration/testdata/migrations/postgres goose LICENSE migrations
