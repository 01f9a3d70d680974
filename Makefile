# Hà Nội shared administrative lakehouse. `make demo` and `make test` do all the set-up themselves.
SHELL := /bin/bash
VENV  ?= .venv
PY    := $(VENV)/bin/python
LH    := $(VENV)/bin/lakehouse
PAGES ?= 300
DISTRICTS ?= 4

.PHONY: bootstrap demo test test-fast lint services-up services-down status bench clean-lake dashboards-export

bootstrap:            ## Debian packages (when missing), virtualenv, Delta jars; idempotent
	@scripts/bootstrap.sh

demo: bootstrap       ## sample archive -> whole pipeline -> services up; prints where to look
	$(LH) demo --pages $(PAGES) --districts $(DISTRICTS)

test: bootstrap lint  ## the whole suite, as CI runs it
	$(PY) -m pytest -q

test-fast: bootstrap  ## domain logic only (no Spark, no services)
	$(PY) -m pytest -q -m "not spark and not services"

lint: bootstrap
	$(VENV)/bin/ruff check .

services-up: bootstrap
	$(LH) services up

services-down:
	$(LH) services down

status:
	$(LH) services status

dashboards-export:    ## write the running Superset's dashboards back into dashboards/ (review, then commit)
	$(LH) dashboards export

bench: bootstrap      ## benchmarks: figures printed, nothing asserted
	$(PY) benchmarks/ingest.py
	$(PY) benchmarks/ocr_throughput.py
	$(PY) benchmarks/ocr_accuracy.py
	$(PY) benchmarks/fields.py
	$(PY) benchmarks/transform.py

clean-lake: services-down  ## remove the local lake (data, metastore, secrets)
	rm -rf lake_data
