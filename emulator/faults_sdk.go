package emulator

// Fault hooks for what real clients rely on: the SDK paginators follow NextMarker until
// an answer has none, with PageSize bounding each page. See modes.go for what each breaks.

// describeLBsNextMarker runs once per DescribeLoadBalancers answer with the NextMarker it
// would send. describe-lbs-no-next-marker keeps the page size but drops the marker, so a
// paginator stops after the first page and never reaches the rest.
func (h *handler) describeLBsNextMarker(next string) string {
	if h.modes.fault(faultDescribeLBsNoNextMarker) {
		return ""
	}
	return next
}

// accountLimitsPaging runs once per DescribeAccountLimits call with the page size asked
// for (and whether one was) and the index of the first limit to answer.
// account-limits-no-paging ignores PageSize and Marker: every call answers every limit
// and no NextMarker.
func (h *handler) accountLimitsPaging(pageSize int, hasPageSize bool, from int) (int, bool, int) {
	if h.modes.fault(faultAccountLimitsNoPaging) {
		return 0, false, 0
	}
	return pageSize, hasPageSize, from
}
