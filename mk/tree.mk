# Checks over the source tree (tests/tree).

TREE_TESTS := $(BUILD)/tests/tree
TEST_PREREQS += $(TREE_TESTS)/tree_checks $(TREE_TESTS)/Kyuafile $(TREE_TESTS)/srcroot

$(TREE_TESTS)/tree_checks: tests/tree/tree_checks.sh
	@mkdir -p $(@D)
	install -m 755 $< $@

$(TREE_TESTS)/Kyuafile: tests/tree/Kyuafile
	@mkdir -p $(@D)
	install -m 644 $< $@

$(TREE_TESTS)/srcroot: FORCE
	@mkdir -p $(@D)
	@echo "$(TOP)" > $@.tmp && (cmp -s $@.tmp $@ || mv $@.tmp $@); rm -f $@.tmp

.PHONY: FORCE
FORCE:
