# The xenstore-utils initramfs the domu-xsutils lab scenario boots our
# kernel with (tests/xsutils): Debian's xenstore-utils, libxenstore4,
# libxentoolcore1 and busybox-static from the lab's package tree, libc6 and
# libgcc-s1 fetched here with apt-get download and cached like the lab's.

XSU_DIR		:= $(BUILD)/xsutils
XSU_CACHE	:= $(BUILD)/cache/xsutils
XSU_INITRAMFS	:= $(XSU_DIR)/initramfs.cpio
XSU_PKGS	:= libc6 libgcc-s1

# One extracted tree of the packages; the debs stay in the cache.
$(XSU_CACHE)/tree/.stamp:
	@mkdir -p $(XSU_CACHE)/debs
	@for p in $(XSU_PKGS); do \
		ls $(XSU_CACHE)/debs/$${p}_*.deb >/dev/null 2>&1 || \
		    (cd $(XSU_CACHE)/debs && apt-get download -q $$p) || exit 1; \
	done
	@rm -rf $(@D) && mkdir -p $(@D)
	@for d in $(XSU_CACHE)/debs/*.deb; do dpkg-deb -x $$d $(@D) || exit 1; done
	@touch $@

$(XSU_INITRAMFS): tests/xsutils/mkinitramfs tests/xsutils/init.sh \
    $(XSU_CACHE)/tree/.stamp
	@mkdir -p $(@D)
	@$(MAKE) --no-print-directory lab-fetch >/dev/null
	@echo "  CPIO    $@"
	@tests/xsutils/mkinitramfs $@ $$(cat $(BUILD)/cache/lab/current) \
	    $(XSU_CACHE)/tree tests/xsutils/init.sh

.PHONY: xsutils-initramfs
xsutils-initramfs: $(XSU_INITRAMFS)
TEST_PREREQS	+= $(XSU_INITRAMFS)
