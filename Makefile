# Top-level build.  See docs/build-conventions.md: every mk/*.mk fragment
# adds to ALL_TARGETS, TEST_PREREQS, LINT_SOURCES and MAN_PAGES.

.DEFAULT_GOAL := all
SHELL := /bin/bash
TOP := $(CURDIR)
BUILD := $(TOP)/build
KYUA_RESULTS := $(BUILD)/kyua-results.db

ALL_TARGETS :=
TEST_PREREQS :=
LINT_SOURCES :=
MAN_PAGES :=

include $(sort $(wildcard mk/*.mk))

.PHONY: all deps test run clean distclean lint man-lint check-deps

# Install (through apt) whatever deps/*.txt lists and is missing.
deps:
	@tools/deps.sh

check-deps:
	@tools/deps.sh --quiet

all: $(ALL_TARGETS)

man-lint: $(MAN_PAGES)
	@for m in $(MAN_PAGES); do mandoc -T lint -W warning $$m || exit 1; done

$(BUILD)/tests/Kyuafile: tests/Kyuafile
	@mkdir -p $(dir $@)
	cp $< $@

# make test: dependencies, build, every test; last line
# "N passed, N failed, N skipped".
test: check-deps
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory $(BUILD)/tests/Kyuafile $(TEST_PREREQS)
	@tools/run-tests.sh "$(BUILD)/tests" "$(KYUA_RESULTS)"

# make run: the kernel as a PVH domU in the Xen lab, its console on stdout.
# No tests: it boots and its /init, from mk/run.mk's initramfs, shows a
# short busybox sh session; then it powers off.  CMDLINE=boot.report=1
# prints the boot report (devices, its own xenstore subtree) instead;
# CMDLINE='ktest=*' runs the tests.  An interactive shell: make run-shell.
RUN_CMDLINE = $(CMDLINE)
run: check-deps
	@$(MAKE) --no-print-directory all $(BUILD)/run/run-initramfs.cpio
	@$(MAKE) --no-print-directory lab-run LAB_CMDLINE='$(RUN_CMDLINE)' \
	    LAB_SCENARIO=$(if $(findstring ktest=,$(RUN_CMDLINE)),domu-boot,domu-run)

lint:
	@tools/lint.sh $(LINT_SOURCES)

clean:
	rm -rf $(filter-out $(BUILD)/cache,$(wildcard $(BUILD)/*))

distclean:
	rm -rf $(BUILD)
