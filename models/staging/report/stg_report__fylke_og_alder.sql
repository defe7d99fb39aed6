{{ stage_report_seed(
    ref('report_fylke_og_alder'),
    table_code='fylke_alder'
) }}
