{{ stage_report_seed('report_fylke_alder_og_hovedgrupper') }}
